import PurewheelBasics
import Testing

@Suite struct LargeBufferTests {
    /// From one huge page on, buffers start on a huge-page boundary and hold every byte asked for; below it, any size works.
    @Test func largeBuffersAreAlignedToHugePagesAndWholeSmallOnesWork() throws {
        for byteCount in [1, 4096, LargeBuffer.hugePageSize - 1, LargeBuffer.hugePageSize, 3 * LargeBuffer.hugePageSize + 17] {
            let buffer = try #require(LargeBuffer.allocate(byteCount: byteCount))
            #expect(buffer.count == byteCount)
            if byteCount >= LargeBuffer.hugePageSize {
                #expect(UInt(bitPattern: buffer.baseAddress) % UInt(LargeBuffer.hugePageSize) == 0)
            }
            // One byte in every page and the last one: each page is writable and keeps what was written.
            let touched = Array(stride(from: 0, to: byteCount, by: 4096)) + [byteCount - 1]
            for index in touched { buffer[index] = UInt8(truncatingIfNeeded: index % 251) }
            #expect(touched.allSatisfy { buffer[$0] == UInt8(truncatingIfNeeded: $0 % 251) })
            LargeBuffer.deallocate(buffer)
        }
    }

    @Test func fileBytesCopiesOfAnySizeKeepTheirBytes() {
        for count in [0, 5, LargeBuffer.hugePageSize + 3] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            #expect(FileBytes(copying: bytes).array == bytes)
        }
    }
}
