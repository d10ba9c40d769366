"""Who may talk to WeChat guests: organizations, their sub-organizations, their employees.

Pure data, built from plain config data (`directory_from_mapping`; reading the file is the
caller's job) and validated when built: every problem is reported at once, each with where it is
(`organizations[0].sub_organizations[1].employees[2].aad`).

A thread belongs to one sub-organization. Only its employees may join the thread; a sub-organization
may have a team channel as its WeChat inbox, and its own conversation settings (its `policy`, over the organization's,
over the deployment's). Without a file everyone is in one sub-organization (`Directory.open`).

The modules: `model` (what an organization, a sub-organization, an Official Account and the
directory are), `from_mapping` (`directory_from_mapping`: the file's data as a directory), `read`
(how each setting is read and checked). This package's names are its importers' API.
"""
from core.organizations.from_mapping import directory_from_mapping
from core.organizations.model import (CLOSE, DEFAULT_ACCOUNT, DEFAULT_ATTRIBUTION, DEFAULT_MAX_PARTICIPANTS,
                                      DEFAULT_RETENTION_YEARS, INBOX, OPEN_ID, AccountSpec, Directory, Routing,
                                      SubOrganization)

__all__ = ["CLOSE", "DEFAULT_ACCOUNT", "DEFAULT_ATTRIBUTION", "DEFAULT_MAX_PARTICIPANTS", "DEFAULT_RETENTION_YEARS",
           "INBOX", "OPEN_ID", "AccountSpec", "Directory", "Routing", "SubOrganization", "directory_from_mapping"]
