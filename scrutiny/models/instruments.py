"""Instruments: configurable questionnaires, kept as immutable versions.

An instrument's questions live in an InstrumentVersion. A version that has responses is never
changed: publishing changes makes the next version, and each response keeps the version (and so
the meaning) it was given. A version with no responses yet may be replaced in place.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy

from scrutiny.models.scrutinies import Scrutiny, Source, SuccessFactor


class Instrument(models.Model):
    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="instruments")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scrutiny", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scrutiny", "code"], name="instrument_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition_sha256 = models.CharField(
        max_length=64,
        help_text="Fingerprint of the definition, so re-importing it changes nothing.",
    )
    languages = models.CharField(
        max_length=50,
        default="en",
        help_text="The languages it offers, by code, separated by commas: en, or en,cy.",
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Its title in other languages, by language code: {"cy": {"title": "..."}}.',
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"


class OptionList(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="option_lists"
    )
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["version", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="option_list_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Option(models.Model):
    option_list = models.ForeignKey(OptionList, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField()
    value = models.CharField(max_length=80)
    label = models.CharField(max_length=300)
    points = models.FloatField(
        null=True, blank=True, help_text="Empty for an unscored option such as Not applicable."
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Its texts in other languages, by language code: {"cy": {"label": "..."}}.',
    )

    class Meta:
        ordering = ["option_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["option_list", "value"], name="option_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Section(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Its texts in other languages, by language code: {"cy": {"title": "..."}}.',
    )

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", pgettext_lazy("question type", "Single choice")
        MULTIPLE = "multiple", pgettext_lazy("question type", "Multiple choice")
        TEXT = "text", pgettext_lazy("question type", "Text")
        NUMBER = "number", pgettext_lazy("question type", "Number")
        DATE = "date", pgettext_lazy("question type", "Date")

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(help_text="Order within the whole instrument.")
    code = models.CharField(max_length=40)
    type = models.CharField(max_length=10, choices=Type.choices)
    text = models.TextField()
    help = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    option_list = models.ForeignKey(
        OptionList, on_delete=models.RESTRICT, null=True, blank=True, related_name="questions"
    )
    show_if = models.CharField(
        max_length=300, blank=True, help_text="e.g. Q3 = yes, Q3 != no, Q3 in (a, b)"
    )
    is_scored = models.BooleanField(
        default=False,
        help_text="Set when the version is saved: single choice with two or more different points.",
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Its texts in other languages: {"cy": {"text": "...", "help": "..."}}.',
    )
    factors: models.ManyToManyField[SuccessFactor, FactorLink] = models.ManyToManyField(
        SuccessFactor, through="FactorLink", related_name="questions"
    )

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class FactorLink(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="factor_links")
    factor = models.ForeignKey(SuccessFactor, on_delete=models.RESTRICT, related_name="links")
    weight = models.FloatField(default=1)

    class Meta:
        ordering = ["question", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["question", "factor"], name="factor_link_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="factor_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} → {self.factor.code} weight {self.weight:g}"
