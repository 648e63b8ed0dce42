/// The two words a `String` is made of, read without copying (so without retaining) the string.
///
/// Equal words are the same text while both strings live: a text of up to 15 bytes is held in the words themselves,
/// a longer one is a reference to its storage. Hot passes use this to tell a string they have met (a field name, an
/// interned id, a role's name) without comparing or hashing its text, and without retaining it.
public enum StringWords {
    /// Whether a `String` and a `String?` are two 8-byte words (they are on every 64-bit platform Swift supports).
    /// Where they are not, callers take their text paths.
    public static let areReadable =
        MemoryLayout<String>.size == 16 && MemoryLayout<String>.alignment >= 8 && MemoryLayout<String?>.size == 16

    /// Both words of `text`; only where ``areReadable``.
    @inline(__always)
    public static func of(_ text: String) -> SIMD2<UInt64> { unsafeBitCast(text, to: SIMD2<UInt64>.self) }

    /// The second word of `text`: for a native string of more than 15 bytes, its storage object's address in the low
    /// bits. Only where ``areReadable``.
    @inline(__always)
    public static func objectWord(_ text: String) -> UInt64 { of(text)[1] }
}
