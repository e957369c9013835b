"""factory_boy factories for the platform's models. Every name is invented."""

from __future__ import annotations

import factory

from scrutiny.models import Agency, Area, Partnership, User

PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = "Fernhill Safeguarding Children Partnership"
    contact_email = "business.unit@fernhill.invalid"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    type = Agency.Type.OTHER


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"AR{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@fernhill.invalid")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    partnership = factory.SubFactory(PartnershipFactory)
    role = User.Role.PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
