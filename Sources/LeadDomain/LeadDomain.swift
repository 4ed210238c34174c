// LeadDomain: the pure domain of LeadRelay. No I/O.
