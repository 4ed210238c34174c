/// The cleaning every text field gets: surrounding white space (including non-breaking spaces
/// and line breaks) removed, and an empty result treated as absent.
enum FieldText {
    static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        if let first = text.utf8.first, let last = text.utf8.last, isVisibleASCII(first), isVisibleASCII(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) }) else { return nil }
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// The fast path: most values start and end with a printable ASCII character.
    private static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// White space, and the invisible characters that spreadsheets leave behind (BOM, zero-width space).
    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{FEFF}" || scalar == "\u{200B}"
    }
}
