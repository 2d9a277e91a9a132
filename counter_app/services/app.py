"""The application facade: one object that holds the context and every service.

Like Anki's collection, the UI and the CLI hold a ``CounterApp`` and call its services;
services never call back up.
"""

from __future__ import annotations

from counter_app.db.database import Database
from counter_app.domain.clock import Clock, SystemClock
from counter_app.services.audit import AuditTrail
from counter_app.services.calendar import WorkCalendar
from counter_app.services.catalogue import Catalogue
from counter_app.services.centre_settings import CentreSettings
from counter_app.services.context import ServiceContext
from counter_app.services.counters import Counters
from counter_app.services.devices import DeviceRegistry, Ratings
from counter_app.services.dossier_forms import DossierForms
from counter_app.services.dossier_queries import DossierQueries
from counter_app.services.dossiers import Dossiers
from counter_app.services.events import EventBus
from counter_app.services.procedures import Procedures
from counter_app.services.queue import Queue
from counter_app.services.queue_state import QueueState
from counter_app.services.users import Users


class CounterApp:
    def __init__(self, db: Database, clock: Clock | None = None, bus: EventBus | None = None) -> None:
        self.ctx = ServiceContext(db, clock or SystemClock(), bus or EventBus())
        self.db = db
        self.users = Users(self.ctx)
        self.catalogue = Catalogue(self.ctx)
        self.counters = Counters(self.ctx)
        self.calendar = WorkCalendar(self.ctx)
        self.queue = Queue(self.ctx, self.calendar)
        self.state = QueueState(self.ctx)
        self.settings = CentreSettings(self.ctx)
        self.audit = AuditTrail(self.ctx)
        self.devices = DeviceRegistry(self.ctx)
        self.ratings = Ratings(self.ctx)
        self.procedures = Procedures(self.ctx)
        self.dossiers = Dossiers(self.ctx, self.calendar)
        self.dossier_queries = DossierQueries(self.ctx, self.calendar)
        self.forms = DossierForms(self.ctx)

    @property
    def bus(self) -> EventBus:
        return self.ctx.bus
