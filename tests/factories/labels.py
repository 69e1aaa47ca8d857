"""Label schemes, applications and certificates made through the label services."""

from django.utils import timezone

from labels.models import LabelCertificate, LabelCriterion, LabelLevel, LabelScheme
from labels.services import (
    label_apply,
    label_assign,
    label_decide,
    label_inspection_record,
    label_inspectors_group,
)

from .sellers import UserFactory


def scheme_create(*, code="LNA", name="National label", levels=(), criteria=("Made by hand",), validity_months=36):
    scheme = LabelScheme(code=code, kind="national_label", name=name, country="MA", issuing_body="Ministry",
                         validity_months=validity_months)
    scheme.criteria = [LabelCriterion(text=text) for text in criteria]
    scheme.levels = [LabelLevel(name=level) for level in levels]
    scheme.save()
    return scheme


def inspector_create(username="inspector-1"):
    user = UserFactory(username=username)
    user.groups.add(label_inspectors_group())
    return user


def applied(scheme, applicant, **kwargs):
    user, seller, product = applicant
    return label_apply(seller=seller, scheme=scheme, products=[product], by=user, **kwargs)


def inspected(application, inspector, verdict="met"):
    verdicts = {criterion.pk: (verdict, "Private criterion note.") for criterion in application.scheme.criteria.all()}
    return label_inspection_record(
        application=application, by=inspector, visit_date=timezone.localdate(), verdicts=verdicts,
        notes="Private visit notes.",
    )


def approved(application, inspector, **kwargs):
    inspected(application, inspector)
    return label_decide(application=application, by=inspector, approve=True, **kwargs)


def certificate_issue(scheme, applicant, inspector, **kwargs) -> LabelCertificate:
    application = label_assign(application=applied(scheme, applicant), inspector=inspector, by=inspector)
    approved(application, inspector, **kwargs)
    return LabelCertificate.objects.get(application=application)
