"""Village work packages (issue 17): a village's households out on a village doctor's laptop, and back.

- :func:`create_package` (township): villages and a year into one encrypted file;
- :func:`open_package` (village laptop): the file becomes a local work copy, marked as one;
- :func:`write_return` (village): what changed since the package was cut, with who and when;
- :func:`plan_merge` / :func:`apply_merge` (township): a preview with every conflict, then one
  transaction;
- :func:`refresh_work_copy` (village): a newer package of the same villages, keeping what was
  typed in the village and not yet returned.

What a work copy may not do (county files, policies, operators, restore) is refused in
:mod:`desktop_app.services.access` (``TOWNSHIP_ONLY``).
"""

from desktop_app.services.access import is_work_copy
from desktop_app.services.packages.files import make_pairing_code, normalize_code
from desktop_app.services.packages.handout import (
    create_package,
    ledger_id,
    open_package,
    work_copy_info,
)
from desktop_app.services.packages.merge import apply_merge, plan_merge
from desktop_app.services.packages.model import (
    CONFLICT_NAMES,
    KIND_NAMES,
    PACKAGE_SUFFIX,
    RETURN_SUFFIX,
    TOWNSHIP,
    VILLAGE,
    Conflict,
    MergeItem,
    MergePlan,
    MergeReceipt,
    PackageBase,
    PackageDamagedError,
    PackageError,
    PackageForeignError,
    PackagePasswordError,
    PackageReceipt,
    ReturnReceipt,
    WorkCopyInfo,
)
from desktop_app.services.packages.refresh import refresh_work_copy
from desktop_app.services.packages.returns import write_return

__all__ = [
    "CONFLICT_NAMES", "KIND_NAMES", "PACKAGE_SUFFIX", "RETURN_SUFFIX", "TOWNSHIP", "VILLAGE", "Conflict",
    "MergeItem", "MergePlan", "MergeReceipt", "PackageBase", "PackageDamagedError", "PackageError",
    "PackageForeignError", "PackagePasswordError", "PackageReceipt", "ReturnReceipt", "WorkCopyInfo",
    "apply_merge", "create_package", "is_work_copy", "ledger_id", "make_pairing_code", "normalize_code",
    "open_package", "plan_merge", "refresh_work_copy", "work_copy_info", "write_return",
]
