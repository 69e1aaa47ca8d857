from django.dispatch import Signal

# Sent inside the transaction of a status change, with seller, previous (status) and by (user).
# The catalog opens the seller's workspace on verification and withdraws or restores its listings.
seller_status_changed = Signal()
