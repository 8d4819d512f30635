#include "bot/read_regular_file.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

#include <sys/stat.h>

namespace sitrep::bot {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out{path, std::ios::binary};
    out << text;
}

/// The FileReadError message of reading `file`, or "(read)".
std::string error_of(const std::filesystem::path& file, std::size_t max_bytes) {
    try {
        (void)read_regular_file(file, max_bytes);
    } catch (const FileReadError& e) {
        return e.what();
    }
    return "(read)";
}

TEST(ReadRegularFile, ReadsTheWholeFile) {
    const test::TempDir dir;
    const std::string content =
        std::string("binary\0and\xff text\n", 17) + std::string(200'000, 'x');
    write(dir.path() / "a.json", content);

    EXPECT_EQ(read_regular_file(dir.path() / "a.json", 1024 * 1024), content);
}

TEST(ReadRegularFile, ReadsAFileAtTheLimitAndRefusesOneByteMore) {
    const test::TempDir dir;
    write(dir.path() / "at.txt", std::string(100, 'a'));
    write(dir.path() / "over.txt", std::string(101, 'a'));
    write(dir.path() / "empty.txt", "");

    EXPECT_EQ(read_regular_file(dir.path() / "at.txt", 100), std::string(100, 'a'));
    EXPECT_EQ(error_of(dir.path() / "over.txt", 100), "larger than 100 bytes");
    EXPECT_EQ(read_regular_file(dir.path() / "empty.txt", 100), "");
}

TEST(ReadRegularFile, RefusesDevicesFifosAndDirectoriesWithoutReading) {
    const test::TempDir dir;
    const auto fifo = dir.path() / "in.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

    EXPECT_EQ(error_of("/dev/zero", 1024), "not a regular file");
    EXPECT_EQ(error_of("/dev/urandom", 1024), "not a regular file");
    EXPECT_EQ(error_of(fifo, 1024), "not a regular file");
    EXPECT_EQ(error_of(dir.path(), 1024), "is a directory");
}

TEST(ReadRegularFile, SaysWhyAFileCannotBeRead) {
    const test::TempDir dir;
    EXPECT_EQ(
        error_of(dir.path() / "absent.json", 1024), "cannot be read: No such file or directory"
    );
}

TEST(DescribeSize, NamesWholeMebibytesAndKibibytes) {
    EXPECT_EQ(describe_size(1024 * 1024), "1 MiB");
    EXPECT_EQ(describe_size(16 * 1024 * 1024), "16 MiB");
    EXPECT_EQ(describe_size(64 * 1024), "64 KiB");
    EXPECT_EQ(describe_size(1000), "1000 bytes");
}

}  // namespace
}  // namespace sitrep::bot
