# The label fixtures, for the catalogue's tests that meet a certificate (its evidence images).
from tests.labels.conftest import applicant, certificate, inspector, scheme, second_inspector  # noqa: F401
