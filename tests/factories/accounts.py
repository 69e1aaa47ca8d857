from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.sellers import UserFactory


def chamber_staff_create(username="staff-1"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    return user


def totp_device_create(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
