import CLibPQ

extension Connection {
    /// The password in the form the server stores (a SCRAM-SHA-256 verifier, or whatever
    /// `password_encryption` says), computed here as psql's `\password` does: the clear
    /// text never reaches the server, its logs or `pg_stat_activity`.
    public func encryptedPassword(_ password: String, user: String) throws -> String {
        let handle = try liveHandle()
        guard let encrypted = PQencryptPasswordConn(handle, password, user, nil) else {
            throw PostgresError(.server, "could not encrypt the password: \(LibPQ.lastMessage(handle))")
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }

    /// Where this session is connected: host (or Unix socket folder), port and database,
    /// as libpq resolved them.
    public func endpoint() throws -> (host: String, port: String, database: String) {
        let handle = try liveHandle()
        func text(_ value: UnsafeMutablePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
        return (text(PQhost(handle)), text(PQport(handle)), text(PQdb(handle)))
    }
}
