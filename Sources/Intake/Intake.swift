// Intake: normalization and parsing of incoming leads and activities. Pure, no I/O beyond reading given bytes.
