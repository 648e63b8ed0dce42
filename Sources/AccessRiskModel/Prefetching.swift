import CSystemMemory

/// Loads started ahead of a pass over the model's assignments in an order their allocation does not follow.
///
/// Writing the worksheet reads, for each assignment in model order, its scope's shared storage and three texts
/// (the scope as written, its key, the id): four objects scattered over a heap of more than a gigabyte. On this
/// project's virtual machine each first touch of such an object costs a cache and TLB miss with a nested page walk;
/// in the enterprise profile one load of the scope's storage was nine tenths of the worksheet's own time. Asking for
/// those lines some assignments ahead overlaps the misses with the work on the rows in between.
///
/// The addresses come from the layouts of `Assignment`, `Scope` and `String`, found once by probing values whose
/// addresses are known (tests check them); a prefetch of a wrong address is only a wasted hint, never a fault.
public enum AssignmentPrefetch {
    /// Where, inside an `Assignment`, the reference to its scope's storage is; nil if it could not be found.
    static let scopeOffset: Int? = {
        let probe = Assignment(
            principalId: "p", principalType: .user, roleName: "r", scope: Scope("/subscriptions/probe"))
        let target = UInt(bitPattern: Unmanaged.passUnretained(probe.scope.storage).toOpaque())
        return withUnsafeBytes(of: probe) { raw in
            stride(from: 0, through: raw.count - 8, by: 8).first {
                raw.loadUnaligned(fromByteOffset: $0, as: UInt.self) == target
            }
        }
    }()

    /// Where, inside an `Assignment`, the object word of its stored id is.
    static let idWordOffset: Int? = MemoryLayout<Assignment>.offset(of: \Assignment.storedId).map { $0 + 8 }

    /// Where, inside a scope's storage object, the object words of `original` and `key` are.
    static let textWordOffsets: (original: Int, key: Int)? = {
        let probe = Scope("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Probe-Prefetch")
        let object = UnsafeRawPointer(Unmanaged.passUnretained(probe.storage).toOpaque())
        guard StringWords.areReadable else { return nil }
        let original = StringWords.objectWord(probe.original)
        let key = StringWords.objectWord(probe.key)
        // The storage holds two strings after the object header before anything else: its first 64 bytes.
        let words = stride(from: 16, through: 56, by: 8)
        guard let o = words.first(where: { object.load(fromByteOffset: $0, as: UInt64.self) == original }),
            let k = words.first(where: { object.load(fromByteOffset: $0, as: UInt64.self) == key }), o != k
        else { return nil }
        return (o, k)
    }()

    /// Where, inside a scope's storage object, the key's hash (``Scope/keyHash``) is.
    static let keyHashOffset: Int? = {
        let probe = Scope("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Probe-Prefetch")
        let object = UnsafeRawPointer(Unmanaged.passUnretained(probe.storage).toOpaque())
        let found = stride(from: 16, through: 56, by: 8).filter {
            object.load(fromByteOffset: $0, as: UInt64.self) == probe.keyHash
        }
        return found.count == 1 ? found[0] : nil
    }()

    /// The key hash of the scope of the assignment at `index`, read from its storage without retaining it (the
    /// storage should have been asked for a while before); nil past the end.
    @inline(__always)
    public static func keyHash(of assignments: UnsafeBufferPointer<Assignment>, at index: Int) -> UInt64? {
        guard let hashOffset = keyHashOffset, let storage = storage(of: assignments, at: index) else { return nil }
        return storage.load(fromByteOffset: hashOffset, as: UInt64.self)
    }

    /// The address of the scope storage of the assignment at `index`, read without retaining it; nil past the end.
    @inline(__always)
    static func storage(of assignments: UnsafeBufferPointer<Assignment>, at index: Int) -> UnsafeRawPointer? {
        guard index < assignments.count, let offset = scopeOffset else { return nil }
        let element = UnsafeRawPointer(assignments.baseAddress! + index)
        return UnsafeRawPointer(bitPattern: element.load(fromByteOffset: offset, as: UInt.self))
    }

    /// Starts loading the text of the string whose object word is at `offset` in `object`.
    @inline(__always)
    static func prefetchText(in object: UnsafeRawPointer, at offset: Int) {
        accessrisk_prefetch(textAddress(objectWord: object.load(fromByteOffset: offset, as: UInt64.self)))
    }

    /// The address of the first UTF-8 byte of a native string whose object word is `word` (its storage object's
    /// address, flags cleared, past the object's 32-byte header).
    static func textAddress(objectWord word: UInt64) -> UnsafeRawPointer? {
        UnsafeRawPointer(bitPattern: UInt(word & 0x0FFF_FFFF_FFFF_FFFF) &+ 32)
    }

    /// Starts loading the scope storage of the assignment at `index` (nothing past the end).
    @inline(__always)
    public static func scope(of assignments: UnsafeBufferPointer<Assignment>, at index: Int) {
        accessrisk_prefetch(storage(of: assignments, at: index))
    }

    /// Starts loading the scope key of the assignment at `index` (its scope's storage asked for a while before).
    @inline(__always)
    public static func scopeKey(of assignments: UnsafeBufferPointer<Assignment>, at index: Int) {
        guard let words = textWordOffsets, let storage = storage(of: assignments, at: index) else { return }
        prefetchText(in: storage, at: words.key)
    }

    /// Starts loading the texts of the assignment at `index`: its scope as written, its scope's key and its id. The
    /// scope's storage should have been asked for a while before (``scope(of:at:)``): it is read here.
    @inline(__always)
    public static func texts(of assignments: UnsafeBufferPointer<Assignment>, at index: Int) {
        guard let words = textWordOffsets, let storage = storage(of: assignments, at: index) else { return }
        prefetchText(in: storage, at: words.original)
        prefetchText(in: storage, at: words.key)
        if let id = idWordOffset { prefetchText(in: UnsafeRawPointer(assignments.baseAddress! + index), at: id) }
    }
}

/// A hint to the processor, for code outside this module.
public enum MemoryHint {
    /// Starts loading the cache line at `address` (any address, none faults).
    public static func prefetch(_ address: UnsafeRawPointer?) { accessrisk_prefetch(address) }
}

/// The words of an assignment's stored texts (see ``StringWords``), read in place: no text is copied, so none is
/// retained. A pass over a million assignments can so tell the texts it has met already (a role's name and id,
/// shared by thousands of rows) without retaining each one, where two threads retaining the same few strings for
/// every row contend for their reference counts.
public enum AssignmentWords {
    static let roleNameOffset = MemoryLayout<Assignment>.offset(of: \Assignment.roleName)
    static let roleIdOffset = MemoryLayout<Assignment>.offset(of: \Assignment.roleId)
    /// The words of the assignment's role name and role id; nil when their layout is not the one this reads.
    @inline(__always)
    public static func role(of assignment: UnsafePointer<Assignment>) -> SIMD4<UInt64>? {
        guard StringWords.areReadable, let name = roleNameOffset, let id = roleIdOffset else { return nil }
        let raw = UnsafeRawPointer(assignment)
        return SIMD4(
            raw.loadUnaligned(fromByteOffset: name, as: UInt64.self),
            raw.loadUnaligned(fromByteOffset: name + 8, as: UInt64.self),
            raw.loadUnaligned(fromByteOffset: id, as: UInt64.self),
            raw.loadUnaligned(fromByteOffset: id + 8, as: UInt64.self))
    }
}
