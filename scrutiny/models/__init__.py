from scrutiny.models.jobs import Job
from scrutiny.models.people import Agency, Area, Partnership, User

__all__ = ["Agency", "Area", "Job", "Partnership", "User"]
