#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <limits>

using namespace qsip::core;

TEST(JsonWriter, WritesNestedStructures) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().member("a", 1).key("b").begin_array().value("x").value(true).null().end_array();
  w.key("c").begin_object().member("d", 2.5).end_object().member("e", std::uint64_t{18446744073709551615ull});
  w.end_object();
  EXPECT_EQ(out, R"({"a":1,"b":["x",true,null],"c":{"d":2.5},"e":18446744073709551615})");
}

TEST(JsonWriter, EscapesEverythingJsonRequires) {
  std::string out;
  append_json_string(out, std::string("q\"b\\n\nt\tc\x01 \xe2\x82\xac", 14));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\nt\\tc\\u0001 \xe2\x82\xac\"");
  simdjson::dom::parser parser;
  auto doc = parser.parse(out);
  ASSERT_FALSE(doc.error());
  EXPECT_EQ(std::string_view(doc.value_unsafe()), std::string("q\"b\\n\nt\tc\x01 \xe2\x82\xac", 14));
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().value(std::numeric_limits<double>::infinity()).end_array();
  EXPECT_EQ(out, "[null]");
}
