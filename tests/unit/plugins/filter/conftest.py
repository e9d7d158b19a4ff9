# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find this collection as ansible_collections.indydevops.k8s_talk (the link
`make collection` creates), next to the collections the ansible package ships."""

import os
import sys

COLLECTIONS = os.path.abspath(
    os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "..", ".cache", "collections"
    )
)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
