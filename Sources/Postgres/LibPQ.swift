import CLibPQ
import Foundation

/// The few places that touch libpq's C API directly, shared by the connection,
/// COPY and the listener.
enum LibPQ {
    static func connect(_ config: PostgresConfig) throws -> OpaquePointer {
        let parameters = config.connectParameters
        let handle = withCStringArray(parameters.map(\.0)) { keywords in
            withCStringArray(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let handle else { throw PostgresError(.connection, "libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = PostgresError(.connection, "could not connect to PostgreSQL at \(target(of: handle)): \(lastMessage(handle))")
            PQfinish(handle)
            throw error
        }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return handle
    }

    /// "host H, port P, database D", from what libpq resolved. Never the password.
    static func target(of handle: OpaquePointer) -> String {
        func field(_ value: UnsafeMutablePointer<CChar>?) -> String {
            value.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "(default)"
        }
        return "host \(field(PQhost(handle))), port \(field(PQport(handle))), database \(field(PQdb(handle)))"
    }

    static func lastMessage(_ handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func connectionError(_ handle: OpaquePointer) -> PostgresError {
        PostgresError(.connection, "the connection to PostgreSQL failed: \(lastMessage(handle))")
    }

    /// Copies a result into `Rows`, or throws the server's error. Always clears `result`.
    static func rows(from result: OpaquePointer?, connection handle: OpaquePointer) throws -> Rows {
        guard let result else { throw connectionError(handle) }
        defer { PQclear(result) }
        try check(result, connection: handle)
        return copyRows(result)
    }

    static func check(_ result: OpaquePointer, connection handle: OpaquePointer) throws {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY,
             PGRES_PIPELINE_SYNC:
            return
        default:
            throw error(from: result, connection: handle)
        }
    }

    static func error(from result: OpaquePointer, connection handle: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        guard let state = field(CLibPQ_DIAG_SQLSTATE) else {
            // No SQLSTATE means the client side failed, usually because the session died.
            let message = field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? lastMessage(handle)
            return PostgresError(.connection, message.isEmpty ? "the connection to PostgreSQL failed" : message)
        }
        let sqlState = SQLState(rawValue: state)
        let isConnectionLoss = sqlState.errorClass == "08" || sqlState == .adminShutdown
            || PQstatus(handle) != CONNECTION_OK
        return PostgresError(
            isConnectionLoss ? .connection : .server,
            field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? "unknown server error",
            sqlState: sqlState,
            detail: field(CLibPQ_DIAG_MESSAGE_DETAIL),
            hint: field(CLibPQ_DIAG_MESSAGE_HINT),
            constraint: field(CLibPQ_DIAG_CONSTRAINT_NAME),
            table: field(CLibPQ_DIAG_TABLE_NAME),
            column: field(CLibPQ_DIAG_COLUMN_NAME)
        )
    }

    private static func copyRows(_ result: OpaquePointer) -> Rows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [Rows.Column] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(Rows.Column(name: String(cString: PQfname(result, Int32(column))), typeOID: PQftype(result, Int32(column))))
        }
        var offsets: [Int32] = []
        var lengths: [Int32] = []
        var storage: [UInt8] = []
        offsets.reserveCapacity(rowCount * columnCount)
        lengths.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    offsets.append(-1)
                    lengths.append(0)
                    continue
                }
                let length = Int(PQgetlength(result, row, column))
                offsets.append(Int32(storage.count))
                lengths.append(Int32(length))
                PQgetvalue(result, row, column).withMemoryRebound(to: UInt8.self, capacity: length) {
                    storage.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return Rows(columns: columns, affectedRows: affected, storage: storage, offsets: offsets, lengths: lengths)
    }

    /// Lays the parameters' text out in one buffer and passes C pointers into it.
    static func withParameters<R>(
        _ parameters: [any PostgresEncodable],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> R
    ) -> R {
        var buffer: [UInt8] = []
        var starts: [Int?] = []
        starts.reserveCapacity(parameters.count)
        for parameter in parameters {
            guard let text = parameter.postgresText else {
                starts.append(nil)
                continue
            }
            starts.append(buffer.count)
            buffer.append(contentsOf: text.utf8)
            buffer.append(0)
        }
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = starts.map { start in start.flatMap { offset in base.map { $0 + offset } } }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress, Int32(parameters.count)) }
        }
    }

    static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
