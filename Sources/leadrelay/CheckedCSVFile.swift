import Foundation
import Intake

/// A small CSV file (a roster, a cost sheet) read and checked whole: every problem is
/// collected as "LINE: what is wrong", so that one run names them all and nothing is stored
/// until the file is clean.
enum CheckedCSVFile {
    struct Problems: Error {
        let lines: [String]

        /// Prints each problem as FILE:LINE: …, then that `command` stored nothing.
        func report(file: String, command: String) {
            FileHandle.standardError.write(Data((lines.map { "\(file):\($0)" } + ["\(command): nothing was stored"])
                .joined(separator: "\n").appending("\n").utf8))
        }
    }

    /// A data row's cells by column name: trimmed, and nil when empty or when the file has
    /// no such column.
    struct Row {
        let line: Int
        fileprivate let fields: [String]
        fileprivate let position: [String: Int]

        subscript(_ column: String) -> String? {
            position[column].map { fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Reads the file at `path`: see ``read(_:noun:header:record:)``.
    static func read<Record>(
        path: String, noun: String,
        header: (_ names: [String], _ line: Int, _ problems: inout [String]) throws -> [String: Int],
        record: (_ row: Row, _ problems: inout [String]) -> Record?
    ) throws -> [Record] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandError("cannot open \(path)") }
        defer { try? handle.close() }
        var reader = CSVReader(source: FileHandleChunkSource(handle))
        return try read(&reader, noun: noun, header: header, record: record)
    }

    /// `header` gets the column names (trimmed, lower-cased) and returns each known column's
    /// position, adding what is wrong to the problems, or throws `Problems` when no row can
    /// be read. `record` turns each non-blank row that has the header's number of cells into
    /// a record, or adds what is wrong. `noun` names the records ("no reps after the header").
    static func read<Record>(
        _ reader: inout CSVReader<some ByteChunkSource>, noun: String,
        header: (_ names: [String], _ line: Int, _ problems: inout [String]) throws -> [String: Int],
        record: (_ row: Row, _ problems: inout [String]) -> Record?
    ) throws -> [Record] {
        var problems: [String] = []
        guard let first = try reader.next() else { throw Problems(lines: ["1: the file is empty; the first line must name the columns"]) }
        let names = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let position = try header(names, first.line, &problems)
        var records: [Record] = []
        while let row = try reader.next() {
            if let problem = row.problem {
                problems.append("\(row.line): \(problem)")
                continue
            }
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == names.count else {
                problems.append("\(row.line): \(row.fields.count) cells, but the header names \(names.count) columns")
                continue
            }
            if let made = record(Row(line: row.line, fields: row.fields, position: position), &problems) { records.append(made) }
        }
        if records.isEmpty && problems.isEmpty { problems.append("\(first.line + 1): no \(noun) after the header line") }
        guard problems.isEmpty else { throw Problems(lines: problems) }
        return records
    }
}
