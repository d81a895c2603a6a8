import Testing
import WheelModel

@Suite struct WheelFilenameTests {
    @Test func parsesAllParts() throws {
        let name = try WheelFilename(parsing: "dist/ml_metadata-1.17.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        #expect(name.distribution == "ml_metadata")
        #expect(name.version == "1.17.1")
        #expect(name.buildTag == nil)
        #expect(name.pythonTag == "cp311")
        #expect(name.platformFamily == .linux)
        #expect(name.tags.map(\.description) == ["cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"])
        #expect(name.description == "ml_metadata-1.17.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        #expect(name.distInfoDirectory == "ml_metadata-1.17.1.dist-info")
    }

    @Test func buildTagAndCompressedSets() throws {
        let name = try WheelFilename(parsing: "six-1.16.0-1b-py2.py3-none-any.whl")
        #expect(name.buildTag == "1b")
        #expect(name.isPureTagged)
        #expect(name.tags.count == 2)
    }

    @Test(arguments: [
        (id: "suffix", name: "x-1.0-py3-none-any.zip", reason: "it does not end in .whl"),
        (id: "too few parts", name: "x-1.0-py3-any.whl", reason: "expected 5 or 6 '-'-separated parts, found 4"),
        (id: "build tag", name: "x-1.0-b1-py3-none-any.whl", reason: "the build tag 'b1' must start with a digit"),
        (id: "empty part", name: "x--py3-none-any.whl", reason: "a part is empty"),
    ])
    func rejectsInvalidNames(id: String, name: String, reason: String) {
        #expect(throws: WheelFormatError.invalidFilename(name, reason: reason)) { try WheelFilename(parsing: name) }
    }

    @Test(arguments: [
        (
            id: "variant", name: "numpy-2.3.2-cp313-cp313t-musllinux_1_2_x86_64-x86_64_v3.whl", build: String?.none,
            label: String?("x86_64_v3")
        ),
        (id: "null variant", name: "numpy-2.3.2-cp313-cp313t-musllinux_1_2_x86_64-null.whl", build: nil, label: "null"),
        (id: "build and variant", name: "demo-1.0-1-py3-none-any-cu12.8.whl", build: "1", label: "cu12.8"),
        (id: "build only", name: "demo-1.0-1-py3-none-any.whl", build: "1", label: nil),
    ])
    func parsesVariantLabels(id: String, name: String, build: String?, label: String?) throws {
        let parsed = try WheelFilename(parsing: name, allowingVariant: true)
        #expect(parsed.buildTag == build)
        #expect(parsed.variantLabel == label)
        #expect(parsed.description == name)
        if label != nil {
            // Without the opt-in a variant name stays invalid: no installer takes it yet.
            #expect(throws: WheelFormatError.self) { try WheelFilename(parsing: name) }
        }
    }

    @Test(arguments: [
        (id: "uppercase", name: "demo-1.0-py3-none-any-X86.whl"),
        (id: "seventeen characters", name: "demo-1.0-py3-none-any-abcdefghijklmnopq.whl"),
        (id: "seven parts, no build tag", name: "demo-1.0-b1-py3-none-any-v3.whl"),
    ])
    func rejectsInvalidVariantLabels(id: String, name: String) {
        #expect(throws: WheelFormatError.self) { try WheelFilename(parsing: name, allowingVariant: true) }
    }

    @Test func expandsAbi3tCompressedSets() throws {
        // PEP 803: a wheel for both the stable ABI and the free-threaded stable ABI.
        let name = try WheelFilename(parsing: "demo-1.0-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl")
        #expect(name.tags.map(\.abi) == ["abi3", "abi3t"])
        #expect(name.platformFamily == .linux)
        let web = try WheelFilename(parsing: "demo-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl")
        #expect(web.tags.map(\.platform) == ["pyemscripten_2026_0_wasm32"])
    }

    @Test(arguments: [
        (id: "manylinux", tag: "manylinux_2_39_x86_64", family: PlatformFamily.linux),
        (id: "mac", tag: "macosx_11_0_arm64", family: .macos),
        (id: "windows", tag: "win_amd64", family: .windows),
        (id: "any", tag: "any", family: .any),
    ])
    func classifiesPlatforms(id: String, tag: String, family: PlatformFamily) {
        #expect(PlatformFamily(platformTag: tag) == family)
    }

    @Test func buildsEscapedNames() {
        let name = WheelFilename(distribution: "ml-metadata-remote", version: "1.17.1.post1", tag: .py3NoneAny)
        #expect(name.description == "ml_metadata_remote-1.17.1.post1-py3-none-any.whl")
        #expect(ProjectName.normalized("ML_Metadata.Remote") == "ml-metadata-remote")
    }

    @Test func fileNamesAndWheelTagLinesExpandCompressedSetsAlike() throws {
        let name = try WheelFilename(parsing: "x-1.0-py2.py3-none-any.macosx_11_0_arm64.whl")
        let info = try WheelInfo(parsing: "Wheel-Version: 1.0\nTag: py2.py3-none-any.macosx_11_0_arm64\n", file: "WHEEL")
        let expected = ["py2-none-any", "py2-none-macosx_11_0_arm64", "py3-none-any", "py3-none-macosx_11_0_arm64"]
        #expect(name.tags.map(\.description) == expected)
        #expect(info.tags.map(\.description) == expected)
    }

    @Test func typedPartsRoundTrip() throws {
        let version = try #require(PEP440Version(parsing: "1.0-POST1"))
        let name = WheelFilename(project: ProjectName("ML.Metadata-Remote"), version: version, tag: .py3NoneAny)
        #expect(name.description == "ml_metadata_remote-1.0.post1-py3-none-any.whl")
        let parsed = try WheelFilename(parsing: name.description)
        #expect(parsed.project == ProjectName("ml-metadata-remote"))
        #expect(parsed.parsedVersion == version)
        #expect(try WheelFilename(parsing: "x-not.a.version-py3-none-any.whl").parsedVersion == nil)
    }

    @Test func projectNamesCompareByTheirNormalizedForm() {
        #expect(ProjectName("ML_Metadata") == ProjectName("ml-metadata"))
        #expect(ProjectName("ml-metadata") != ProjectName("ml-metadata-remote"))
        #expect(Set([ProjectName("a.b"), ProjectName("A-B")]).count == 1)
        #expect(ProjectName("ML_Metadata").description == "ML_Metadata")
    }
}
