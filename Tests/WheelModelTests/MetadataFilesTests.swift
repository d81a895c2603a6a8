import Testing
import WheelModel

@Suite struct MetadataFilesTests {
    @Test func headerFieldsRoundTrip() throws {
        let text =
            "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nClassifier: A\nClassifier: B\nLicense: line one\n        line two\n\n# Title\n\nBody\n"
        let headers = try HeaderFields(parsing: text, file: "METADATA")
        #expect(headers.all("classifier") == ["A", "B"])
        #expect(headers.first("License") == "line one\n        line two")
        #expect(headers.body == "# Title\n\nBody\n")
        #expect(headers.serialized() == text)
    }

    @Test func setReplacesInPlaceAndRemovesRepeats() throws {
        var headers = try HeaderFields(parsing: "A: 1\nB: 2\nA: 3\n", file: "W")
        headers.set("a", to: "9")
        #expect(headers.serialized() == "A: 9\nB: 2\n")
    }

    @Test func rejectsLinesWithoutColon() {
        #expect(throws: WheelFormatError.invalidHeaderLine(file: "WHEEL", line: 2, text: "garbage")) {
            try WheelInfo(parsing: "Wheel-Version: 1.0\ngarbage\n", file: "WHEEL")
        }
    }

    @Test func wheelInfoReadsTagsAndPurity() throws {
        let info = try WheelInfo(parsing: "Wheel-Version: 1.0\r\nRoot-Is-Purelib: False\r\nTag: py2.py3-none-any\r\n", file: "WHEEL")
        #expect(info.rootIsPurelib == false)
        #expect(info.wheelVersion?.major == 1)
        #expect(info.tags.map(\.description) == ["py2-none-any", "py3-none-any"])
    }

    @Test func wheelInfoWritesFixedOrder() {
        let info = WheelInfo(generator: "purewheel 0.1.0", rootIsPurelib: true, tags: [.py3NoneAny])
        #expect(info.serialized() == "Wheel-Version: 1.0\nGenerator: purewheel 0.1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    }

    @Test func metadataNeedsNameAndVersion() {
        #expect(throws: WheelFormatError.missingField(file: "METADATA", field: "Version")) {
            try CoreMetadata(parsing: "Metadata-Version: 2.1\nName: x\n", file: "METADATA")
        }
    }

    @Test(arguments: [
        (id: "release", text: "1.17.1", valid: true), (id: "post", text: "1.17.1.post1", valid: true),
        (id: "pre", text: "2.0rc1", valid: true), (id: "dev", text: "1.0.dev3", valid: true),
        (id: "epoch local", text: "1!2.0+ubuntu.1", valid: true), (id: "v prefix", text: "v1.0", valid: true),
        (id: "words", text: "latest", valid: false), (id: "trailing dot", text: "1.", valid: false),
        (id: "empty local", text: "1.0+", valid: false), (id: "space", text: "1 0", valid: false),
    ])
    func validatesVersions(id: String, text: String, valid: Bool) {
        #expect(PEP440.isValid(text) == valid, "\(id)")
    }
}
