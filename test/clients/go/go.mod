module stores-api/clients-scenario

// Standard library only: it builds offline, with nothing to download.
go 1.22
