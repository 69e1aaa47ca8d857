from django.dispatch import Signal

# Sent inside the transaction of a status change, with seller, previous (status) and by (user).
# The catalog opens the seller's workspace on verification and withdraws or restores its listings.
seller_status_changed = Signal()

# Sent when a member joins or leaves a seller (with member); the catalogue adds or removes the user
# from the seller's workspace group.
seller_member_joined = Signal()
seller_member_left = Signal()
