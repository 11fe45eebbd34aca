"""The public-service survey (IKM/SKM): units and their QR codes, answering, reports."""
