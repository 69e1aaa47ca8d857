"""Quality labels in the admin, one module per screen family: ``records`` (who may see the records, and
what the views share), ``applications`` (assign, inspect, decide), ``certificates`` (suspend, reinstate,
revoke, the printed tag) and ``sellers`` (a seller's own labels and its applications)."""

from .certificates import QualityLabelsViewSetGroup
from .records import LabelRecordPolicy, seller_memberships
from .sellers import seller_label_urls

__all__ = ["LabelRecordPolicy", "QualityLabelsViewSetGroup", "seller_label_urls", "seller_memberships"]
