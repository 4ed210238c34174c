/// An array's elements copied once into memory that this object owns and never changes, so
/// that a hot loop reads them through a plain pointer: no array buffer is retained per call
/// and no `withUnsafeBufferPointer` closure is needed. `buffer` is valid while the object is
/// alive; keep a reference to it (a stored `let`) for as long as the pointer is used.
final class FrozenArray<Element: Sendable>: @unchecked Sendable {
    // @unchecked: the memory is written once, in `init`, and only read after that.
    let buffer: UnsafeBufferPointer<Element>

    init(_ elements: [Element]) {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = memory.initialize(from: elements)
        buffer = UnsafeBufferPointer(memory)
    }

    deinit {
        let memory = UnsafeMutableBufferPointer(mutating: buffer)
        memory.deinitialize()
        memory.deallocate()
    }
}
