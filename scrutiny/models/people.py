"""The partnership, its agencies and areas, and the people who use the platform."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from knox.models import get_token_model

from scrutiny.sign_in import sign_in_name

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    "Use letters, numbers, hyphens and underscores only, starting with a letter or number.",
)


class Partnership(models.Model):
    class Languages(models.TextChoices):
        ENGLISH = "en", _("English only")
        WELSH = "cy", _("Welsh only")
        BOTH = "en,cy", _("English and Welsh")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")

    """A safeguarding partnership: the local authority, police and health with relevant agencies.

    Its accessibility statement and privacy notice are its own words, published on public pages.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Names the partnership in its public pages' addresses and in commands run on "
        "an installation that hosts several partnerships, e.g. northbrook-westmere.",
    )
    contact_email = models.EmailField(blank=True)
    safeguarding_lead_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The named safeguarding lead told at once when an auditor raises an immediate "
        "concern about a child.",
    )
    safeguarding_lead_email = models.EmailField(
        blank=True,
        help_text="Where immediate concerns are sent. Case details never leave the platform: "
        "the email carries a link only.",
    )
    accessibility_statement = models.TextField(
        blank=True,
        help_text="Shown on the public accessibility statement page. Blank lines make paragraphs.",
    )
    accessibility_statement_cy = models.TextField(
        "Accessibility statement (Welsh)",
        blank=True,
        help_text="Shown on the public page in Welsh. Empty, the English statement is shown "
        "there under a note in Welsh saying it is only in English.",
    )
    privacy_notice = models.TextField(
        blank=True,
        help_text="Shown on the public privacy notice page. Blank lines make paragraphs.",
    )
    privacy_notice_cy = models.TextField(
        "Privacy notice (Welsh)",
        blank=True,
        help_text="Shown on the public page in Welsh. Empty, the English notice is shown "
        "there under a note in Welsh saying it is only in English.",
    )
    redaction_terms = models.TextField(
        "Words to redact",
        blank=True,
        help_text="One a line: names of people, places or schools that must never leave the "
        "platform, in any scrutiny or in the plan. Removed from every text that leaves the "
        "screen (packs, downloads, the API, the board's pages, emails), with every case "
        "reference the partnership holds, emails, phone numbers, postcodes and NHS numbers.",
    )
    front_door_phone = models.CharField(
        "Children's services front door number",
        max_length=40,
        blank=True,
        help_text="Shown on every page of a children's survey, beside Childline, as where to "
        "talk to someone if something is wrong, e.g. 0300 123 4567.",
    )
    disclosure_phrases = models.TextField(
        "Words that may mean a child is being harmed",
        blank=True,
        help_text="One word or phrase a line. A free-text answer of a children's survey that "
        "contains one is flagged to the business unit and never leaves the scrutineer's screen.",
    )
    # The delivery plan's colour key in words: partnerships use Blue differently, so each
    # colour's meaning is the partnership's own, always printed beside the colour.
    brag_blue = models.CharField("Blue means", max_length=60, default="Complete")
    brag_green = models.CharField("Green means", max_length=60, default="On track")
    brag_amber = models.CharField("Amber means", max_length=60, default="At risk")
    brag_red = models.CharField("Red means", max_length=60, default="Off track")
    # How long each kind of personal data is kept (see scrutiny/retention): the privacy notice
    # says the same. What the partnership must keep (signed-off findings, scores, packs, the
    # action plan) has no period here: it is never removed by a retention run.
    retain_answers_months = models.PositiveSmallIntegerField(
        "Raw survey answers (months)",
        default=24,
        help_text="Survey, board and family answers, counted from the scrutiny's end.",
    )
    retain_drafts_days = models.PositiveSmallIntegerField(
        "Drafts never submitted (days)",
        default=90,
        help_text="Answers started and never sent, counted from their last change.",
    )
    retain_invitations_months = models.PositiveSmallIntegerField(
        "Invitation emails (months)",
        default=6,
        help_text="The addresses a survey was sent to, counted from the survey's close.",
    )
    retain_contributions_months = models.PositiveSmallIntegerField(
        "Audit contributions (months)",
        default=24,
        help_text="Each agency's own audit of a case file, counted from the scrutiny's end; the "
        "moderated, agreed audit is kept with the findings.",
    )
    retain_case_lists_months = models.PositiveSmallIntegerField(
        "Case lists (months)",
        default=12,
        help_text="The sampled case references, counted from the scrutiny's end.",
    )
    retain_uploads_months = models.PositiveSmallIntegerField(
        "Uploaded evidence (months)",
        default=24,
        help_text="Documents attached to action updates, counted from their upload.",
    )
    retain_trail_months = models.PositiveSmallIntegerField(
        "Audit trail (months)",
        default=72,
        help_text="Entries of the audit trail, counted from the day they were written.",
    )
    # Under the Welsh Language Standards (docs/welsh.md): what it offers, and the language of
    # invitations, packs and emails when nobody has chosen one.
    languages = models.CharField(
        _("Languages offered"),
        max_length=10,
        choices=Languages.choices,
        default=Languages.ENGLISH,
        help_text=_("The languages the partnership's surveys and documents are offered in."),
    )
    default_language = models.CharField(
        _("Default language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_(
            "Invitations, reminders, event packs and emails are in this language unless a "
            "person has chosen another."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves the partnership; a person made its named safeguarding lead, and so needing a
        second factor only now, loses the API tokens they had (as in `User.save`)."""
        # Imported here: it reads the rule of scrutiny.permissions, which imports the models.
        from scrutiny.mfa.tokens import second_factor_begins_for_lead

        if not self.slug:
            self.slug = slugify(self.name)[:80] or "partnership"
        begins = second_factor_begins_for_lead(self)
        super().save(*args, **kwargs)
        if begins:
            get_token_model().objects.filter(user_id__in=begins).delete()

    def is_safeguarding_lead(self, user: User) -> bool:
        """Whether the person is this partnership's named safeguarding lead: one of its own
        people, by their email address, whatever their role."""
        lead = self.safeguarding_lead_email.strip().lower()
        return bool(lead) and user.partnership_id == self.pk and user.email.lower() == lead

    @property
    def brag_key(self) -> dict[str, str]:
        """Each BRAG status's words in this partnership's delivery plan."""
        return {
            "blue": self.brag_blue,
            "green": self.brag_green,
            "amber": self.brag_amber,
            "red": self.brag_red,
        }


class Agency(models.Model):
    class Type(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        POLICE = "police", _("Police")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        PROBATION = "probation", _("Probation")
        VOLUNTARY = "voluntary", _("Voluntary sector")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField(max_length=20, validators=[code_validator])
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.OTHER)
    workforce = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many practitioners the agency has, for response rates.",
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="agency_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Area(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(max_length=20, validators=[code_validator])
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="area_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.ADMINISTRATOR)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are stored lower-case, so a login is not case-sensitive; the sign-in
        # page and the token endpoint alike ignore surrounding spaces and full-width letters.
        return self.get(email__iexact=sign_in_name(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Logs in with an e-mail address.

    What a role may do is decided in scrutiny.permissions, nowhere else.
    """

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Partnership administrator")
        SCRUTINEER = "scrutineer", _("Independent Scrutineer")
        AUDITOR = "auditor", _("Auditor")
        AGENCY_LEAD = "agency_lead", _("Agency lead")
        BOARD_MEMBER = "board_member", _("Board member")
        PRACTITIONER = "practitioner", _("Practitioner")
        # An expert by experience beside the Independent Scrutineer: reads what is published
        # and prepared for them, records observations; never case data (scrutiny.permissions).
        YOUNG_SCRUTINEER = "young_scrutineer", _("Young scrutineer")

    ROLES_NEEDING_AGENCY: ClassVar[tuple[str, ...]] = (Role.AUDITOR, Role.AGENCY_LEAD)

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["auditor", "agency_lead"]) | Q(agency__isnull=False),
                name="user_agency_role_has_agency",
                violation_error_message="Auditors and agency leads must belong to an agency.",
            ),
        ]

    # Set when the password is made unusable (the admin's "password-based authentication: off"),
    # which is no `set_password`: its API tokens go too.
    _api_tokens_revoke = False

    def __str__(self) -> str:
        return self.full_name or self.email

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._api_tokens_revoke = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves the person; a new password, a deactivated account or a change that makes them
        need a second factor revokes every API token.

        Here rather than in a service or a signal: passwords change through Django's own pages
        (change, reset link), the admin's password form and `manage.py changepassword`, and
        accounts are deactivated and promoted in the admin; every one of them ends in this
        `save`. Django marks a password a person set in `_password` (not one only rehashed at
        sign-in). An inactive account's tokens are deleted whenever it is saved, so none
        outlives it.
        """
        # Imported here: it reads the rule of scrutiny.permissions, which imports the models.
        from scrutiny.mfa.tokens import second_factor_begins

        revoke = not self._state.adding and (
            getattr(self, "_password", None) is not None
            or self._api_tokens_revoke
            or not self.is_active
            or second_factor_begins(self)
        )
        super().save(*args, **kwargs)
        if revoke:
            get_token_model().objects.filter(user=self).delete()
            self._api_tokens_revoke = False

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role in self.ROLES_NEEDING_AGENCY and self.agency_id is None:
            raise ValidationError({"agency": "Auditors and agency leads must belong to an agency."})
        if (
            self.agency_id
            and self.partnership_id
            and self.agency is not None
            and self.agency.partnership_id != self.partnership_id
        ):
            raise ValidationError({"agency": "The agency belongs to another partnership."})

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
