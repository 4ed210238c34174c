public import Foundation

/// Where streaming readers get their bytes: a file, a pipe, stdin, an upload, a test string.
///
/// Readers hold one chunk at a time, so memory stays constant whatever the input's size.
/// Chunk boundaries may fall anywhere, even inside a UTF-8 sequence, a CRLF or a quoted field.
public protocol ByteChunkSource {
    /// The next chunk (never empty), or nil at the end of the input.
    mutating func nextChunk() throws -> [UInt8]?
}

/// Reads a `FileHandle` (a file, a pipe, `FileHandle.standardInput`) in chunks.
/// The caller opens and closes the handle.
public struct FileHandleChunkSource: ByteChunkSource {
    public let handle: FileHandle
    public let chunkSize: Int

    /// - Parameter chunkSize: bytes per read; 1 MiB by default, large enough that system calls
    ///   do not matter and small enough not to matter for memory.
    public init(_ handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.chunkSize = max(1, chunkSize)
    }

    public mutating func nextChunk() throws -> [UInt8]? {
        guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return nil }
        return [UInt8](data)
    }
}

/// Serves bytes already in memory (an HTTP body, a test fixture) in chunks of a given size.
public struct BytesChunkSource: ByteChunkSource {
    private let bytes: [UInt8]
    private var position = 0
    public let chunkSize: Int

    public init(_ bytes: some Sequence<UInt8>, chunkSize: Int = 1 << 20) {
        self.bytes = Array(bytes)
        self.chunkSize = max(1, chunkSize)
    }

    public init(_ text: String, chunkSize: Int = 1 << 20) {
        self.init(text.utf8, chunkSize: chunkSize)
    }

    public mutating func nextChunk() throws -> [UInt8]? {
        guard position < bytes.count else { return nil }
        let end = min(bytes.count, position + chunkSize)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}
