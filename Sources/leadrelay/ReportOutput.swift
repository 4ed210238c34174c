import Intake
import Postgres

/// A report's rows as an aligned table, CSV or JSON, values exactly as PostgreSQL wrote them.
struct ReportOutput {
    private let names: [String]
    private let numeric: [Bool]
    private let boolean: [Bool]
    private let cells: [[String?]]

    /// Type OIDs of int2, int4, int8, float4, float8 and numeric.
    private static let numericTypes: Set<UInt32> = [21, 23, 20, 700, 701, 1700]
    private static let booleanType: UInt32 = 16

    init(rows: Rows, hiddenColumns: Set<String> = []) {
        let shown = rows.columns.indices.filter { !hiddenColumns.contains(rows.columns[$0].name) }
        names = shown.map { rows.columns[$0].name }
        numeric = shown.map { Self.numericTypes.contains(rows.columns[$0].typeOID) }
        let booleans = shown.map { rows.columns[$0].typeOID == Self.booleanType }
        boolean = booleans
        cells = rows.map { row in
            shown.enumerated().map { position, column in
                guard let text = try? row.decode(column, as: String?.self) else { return nil }
                return booleans[position] ? (text == "t" ? "true" : "false") : text
            }
        }
    }

    func table() -> String {
        let table = TextTable(headers: names, rightAligned: Set(numeric.indices.filter { numeric[$0] }))
        for row in cells { table.add(row.map { $0 ?? "" }) }
        return table.render()
    }

    func csv() -> String {
        func field(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + value.replacing("\"", with: "\"\"") + "\"" : value
        }
        return ([names] + cells.map { $0.map { $0 ?? "" } }).map { $0.map(field).joined(separator: ",") + "\n" }.joined()
    }

    /// An array of objects; numbers and booleans unquoted, NULL as null.
    func json() -> String {
        var json = "["
        for (index, row) in cells.enumerated() {
            json += index == 0 ? "\n  {" : ",\n  {"
            for (column, value) in row.enumerated() {
                if column > 0 { json += ", " }
                JSONText.appendQuoted(names[column], to: &json)
                json += ": "
                if let value {
                    if numeric[column] || boolean[column] { json += value } else { JSONText.appendQuoted(value, to: &json) }
                } else {
                    json += "null"
                }
            }
            json += "}"
        }
        return json + (cells.isEmpty ? "]" : "\n]")
    }
}
