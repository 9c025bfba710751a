// Console-wrapped `show config` output: pieces of exactly 79 characters are joined with the
// line that continues them.
#include "helpers.h"
#include "vendor/yamaha/lines.h"

namespace sanso::test::yamaha {
namespace {

using vendor::yamaha::logical_lines;
using vendor::yamaha::physical_lines;

TEST_CASE("lines extraction: a wrapped command is one logical line (bytes of a real RTX1210)") {
  // Captured from an RTX1210 console (shin1ohno/terraform-provider-rtx, console_wrap tests):
  // the first piece is 79 characters, the break falls at a space, CRLF line ends.
  const std::string raw =
      "dns server select 11 2606:4700:4700::1111 edns=on 2606:4700:4700::1001 edns=on \r\n"
      "aaaa .\r\n"
      "dns private address spoof on\r\n";
  const auto lines = logical_lines(physical_lines(raw));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text() ==
        "dns server select 11 2606:4700:4700::1111 edns=on 2606:4700:4700::1001 edns=on aaaa .");
  CHECK(lines[0].first == 1);
  CHECK(lines[0].last == 2);
  CHECK(lines[1].first == 3);
}

TEST_CASE("lines conversion: a list wrapped inside a number is rejoined exactly") {
  std::string first = "ip lan2 secure filter in 200020 200021 200022 200023 200024 200025 200026 20010";
  REQUIRE(first.size() == 79);
  const std::string text = first + "\n0 200099\nip filter 200020 reject * * udp,tcp 135 *\n"
                           "ip filter 200026 pass * * tcp * 22\nip filter 200100 pass * * * * *\n"
                           "ip filter 200099 reject * * * * *\n";
  const auto d = device(text);
  const auto& in = stage(d, "ip secure filter in");
  // 200020 .. 200026 exist only in part: 200021-200025 are undefined and skipped.
  REQUIRE(in.entries.size() == 5);
  CHECK(in.entries[2].normalized_text == "ip secure filter in lan2: ip filter 200100 pass * * * * *");
  CHECK(in.entries[2].evidence[1].line == 1);
  CHECK(in.entries[2].evidence[1].end_line == 2);
  CHECK(d.coverage[0].unparsed.empty());
  CHECK(has_assumption(d, "console-wrapped"));
}

TEST_CASE("lines warnings: no join without a 79-character piece, a comment, or before a command") {
  const std::string cmd79 = "ip filter 1 pass 192.168.0.0/16 10.0.0.0/8 tcp 1024-65535 www,https,18080,18443";
  REQUIRE(cmd79.size() == 79);
  // Followed by a command: two lines.
  auto lines = logical_lines(physical_lines(cmd79 + "\nip filter 2 pass * *\n"));
  CHECK(lines.size() == 2);
  // An 80-character line is no console piece.
  lines = logical_lines(physical_lines(cmd79 + "1\n0 2\n"));
  CHECK(lines.size() == 2);
  // A 79-character comment is a comment.
  const std::string comment(79, '#');
  lines = logical_lines(physical_lines(comment + "\nfoo\n"));
  CHECK(lines.size() == 2);
  const auto d = device(cmd79 + "\nip lan1 secure filter in 1\n");
  CHECK_FALSE(has_assumption(d, "console-wrapped"));
}

}  // namespace
}  // namespace sanso::test::yamaha
