"""Template placeholders that stand for a required element.

A template's `{{ smtp_code }}` will be filled with the bounce line when the request is sent, so
it satisfies PM201 as surely as a pasted bounce does. Built-in names cover the common
conventions; the configuration's `placeholders` map adds a project's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

BUILTIN: Mapping[str, str] = {
    **dict.fromkeys(
        ("smtp_code", "bounce_code", "bounce", "bounce_message", "bounce_line", "error_code",
         "smtp_error", "ndr", "rejection", "diagnostic_code"), "smtp-code"),
    **dict.fromkeys(
        ("sending_ip", "sending_ips", "ip", "ips", "ip_address", "ip_addresses", "sender_ip",
         "sending_domain", "sender_domain", "from_domain", "domain", "mail_domain"),
        "sending-identity"),
    **dict.fromkeys(
        ("senderscore", "sender_score", "talos", "talos_reputation", "snds", "snds_status",
         "postmaster_tools", "reputation", "ip_reputation", "domain_reputation",
         "blocklist_status"), "reputation-data"),
    **dict.fromkeys(
        ("remediation", "remediation_steps", "steps_taken", "actions_taken", "fixes"),
        "remediation-steps"),
    **dict.fromkeys(("results", "measured_results", "complaint_rate", "bounce_rate", "metrics"),
                    "results"),
    **dict.fromkeys(("prevention", "prevention_plan", "long_term_measures"), "prevention-plan"),
}  # fmt: skip


def supplied_elements(
    names: Iterable[str], extra: Iterable[tuple[str, str]] = ()
) -> frozenset[str]:
    """The required elements that these template variables supply."""
    names = {name.lower() for name in names}
    if not names:
        return frozenset()
    mapping = {**BUILTIN, **{name.lower(): element for name, element in extra}}
    return frozenset(mapping[name] for name in names if name in mapping)
