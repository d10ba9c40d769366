"""Every job kind, named once: a message's journey, one step a row ("→": what comes next).

The strings are what stored jobs carry: never change one (a job in storage would find no handler).
Who handles each kind is the table in services/wiring.py.
"""
from __future__ import annotations

# WeChat → Teams
WECHAT_INBOUND = "wechat_inbound"  # a guest's push, kept before the webhook answers → the inbound stages
DIALOG_SEND = "dialog_send"  # the phone validation's or the routing assistant's words to the guest
VALIDATION_TICK = "validation_tick"  # a deadline of the phone validation (help offered when no PIN comes)
VALIDATION_CONNECT = "validation_connect"  # a validated guest → connected to the employee they named
ROUTING_CONNECT = "routing_connect"  # the routing assistant found whom → the guest connected to them
NOTIFY_MAIL = "notify_mail"  # an employee told of a new guest by e-mail too

# Teams → WeChat
EMPLOYEE_MESSAGE = "employee_message"  # an employee's message in Teams → DLP, then the policy decides

# The conversation's policy carried out (services/conversation_runner.py): each answer goes back to the policy
POLICY_SEND = "wechat_send"  # a message to the guest → WeChat's answer decided by the policy
POLICY_TEMPLATE = "wechat_template"  # a template message (WeChat's window closed) → its answer, likewise
POLICY_NOTICE = "teams_notice"  # the employees told something (a refusal, a receipt, a deadline)
POLICY_STATUS = "teams_status"  # the thread's live card posted or updated (services/live_cards.py)

# The record's outlets (services/outlets.py): each record entry delivered outside, in order per thread
ARCHIVE = "archive"  # the compliance archive (SMTP journal)
CRM_WEBHOOK = "crm:webhook"
CRM_SALESFORCE = "crm:salesforce"
OUTLETS = (ARCHIVE, CRM_WEBHOOK, CRM_SALESFORCE)

GAVE_UP = "gave_up"  # a job failed for good → the owner of its kind told (Worker.register's gave_up)
