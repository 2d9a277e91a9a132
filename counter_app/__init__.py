"""One-Stop Counter: the counter software of Vietnamese one-stop public service centres.

The package is plain Python (no Qt): ``domain`` holds pure rules, ``db`` the schema and
migrations, ``services`` the use cases (one transaction each), ``cli`` the scripting surface.
"""

__version__ = "0.1.0"
