"""The procedure search as an officer types: the name that is what was typed comes first."""

from __future__ import annotations

from counter_app.services.procedure_files import demo_catalogue_path, read_procedures
from tests.conftest import Centre


def test_the_closest_name_comes_first_and_a_full_code_finds_its_procedure(centre: Centre) -> None:
    app = centre.app
    app.procedures.import_procedures(
        centre.admin, read_procedures(demo_catalogue_path()).procedures, source="demo"
    )
    names = [view.procedure.name for view in app.procedures.search("khai sinh")]
    assert names[0] == "Đăng ký khai sinh"
    assert "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con" in names[1:]
    code = app.procedures.search("khai sinh")[0].procedure.code
    assert app.procedures.search(code)[0].procedure.code == code
    typed_with_marks = [view.procedure.name for view in app.procedures.search("Đăng ký khai sinh")]
    assert typed_with_marks[0] == "Đăng ký khai sinh"
