"""CRM logging of the compliance record (see core/crm.py): a signed JSON webhook (webhook.py) and
Salesforce, one Task per contact per day (salesforce.py), each a `core.crm.Crm`."""
