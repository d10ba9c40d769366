"""One-time-PIN delivery (see core/otp_delivery.py): Twilio, SMS and voice (twilio.py); Azure
Communication Services, SMS (acs.py); and a development sender that shows the message on screen,
refused in production (dev.py). Each is a `core.otp_delivery.PinSender`."""
