/// How purewheel shows an entry name's stored bytes, so that `check` and `compare` name a file the same way.
///
/// The bytes are read as UTF-8 whether or not the archive sets the UTF-8 flag (pip and `installer` write what they
/// decode as UTF-8 too); a byte that is not part of valid UTF-8 shows as U+FFFD, and `check` reports such a name (PW210)
/// with its bytes in hex. Never CP437: libzip's guess for an unflagged name turns bytes into glyphs that look like a
/// different, valid name.
public enum EntryNameText {
    /// The name `check` reports for an entry whose name is stored as `bytes`.
    ///
    /// - Parameter bytes: the name as the central directory stores it.
    /// - Returns: the bytes decoded as UTF-8, invalid bytes replaced by U+FFFD.
    public static func decoded(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
