// The query sanitizer: what users type becomes quoted FTS5 phrases, and no
// input, however hostile, makes an FTS5 syntax error.
#include "server/search/fts_query.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "search_fixture.hpp"

using namespace qsip::server;
using qsip::server::testing::SearchDb;

TEST(FtsQuery, EveryWordBecomesAQuotedPhraseAndThePhrasesAreAnded) {
  EXPECT_EQ(fts_match_expression("hello world"), R"("hello" "world")");
  EXPECT_EQ(fts_match_expression("  hello\t\n world  "), R"("hello" "world")");
  // A hyphenated word stays one phrase: its tokens must be adjacent.
  EXPECT_EQ(fts_match_expression("foo-bar"), R"("foo-bar")");
  EXPECT_EQ(fts_match_expression("café 東京"), "\"café\" \"東京\"");
}

TEST(FtsQuery, Fts5SyntaxIsOnlyCharactersInsideQuotes) {
  EXPECT_EQ(fts_match_expression(R"(say "hi")"), R"("say" """hi""")");
  EXPECT_EQ(fts_match_expression("a OR b NOT c"), R"("a" "OR" "b" "NOT" "c")");
  EXPECT_EQ(fts_match_expression("NEAR(a b, 2)"), R"x("NEAR(a" "b," "2)")x");
  EXPECT_EQ(fts_match_expression("search_text:secret* ^start"), R"("search_text:secret*" "^start")");
  EXPECT_EQ(fts_match_expression("{search_text}:x"), R"("{search_text}:x")");
}

TEST(FtsQuery, PunctuationOnlyHoldsNothingToSearch) {
  EXPECT_EQ(fts_match_expression(""), "");
  EXPECT_EQ(fts_match_expression("   "), "");
  EXPECT_EQ(fts_match_expression("!!! ??? ... \"\" * () :"), "");
  // Punctuation words are dropped, the rest is kept.
  EXPECT_EQ(fts_match_expression("-- hello !!"), R"("hello")");
}

TEST(FtsQuery, ControlCharactersSeparateWords) {
  EXPECT_EQ(fts_match_expression(std::string("a\0b", 3)), R"("a" "b")");
  EXPECT_EQ(fts_match_expression("a\x01\x7f" "b"), R"("a" "b")");
}

// Whatever the sanitizer makes of these, FTS5 accepts it.
TEST(FtsQuery, NoInputMakesAnFts5SyntaxError) {
  SearchDb db;
  db.message("u-a", "u-b", "hello world, or not: near the \"end\"");
  auto& q = db.db().cached("SELECT count(*) FROM message_search WHERE message_search MATCH ?1");
  auto run = [&](const std::string& input) {
    auto expression = fts_match_expression(input);
    if (expression.empty()) return;
    q.reset();
    q.bind(1, expression);
    EXPECT_NO_THROW(q.step()) << "input: " << input << "\nexpression: " << expression;
    q.reset();
  };
  for (const char* input : {"\"", "\"\"\"", "a\"b", "*", "a*", "^", "NEAR", "NEAR(", "AND", "OR", "NOT", "a AND",
                            "(", ")", "a:b", "search_text:", "{", "}", "-a", "+", "。。", "«»", "“quoted”", "\\",
                            "'", "`", "a\"", "\"a", "hello \"world"}) {
    run(input);
  }
  // And random mixes of the characters FTS5 gives meaning to.
  const std::vector<std::string> pieces = {"\"", "*", "^", ":", "(", ")", "{", "}", "+", "-", ",", " ", "\t", "AND",
                                           "OR", "NOT", "NEAR", "a", "hello", "é", "。", "\x01", "search_text"};
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1), length(1, 12);
  for (int i = 0; i < 2000; ++i) {
    std::string input;
    for (std::size_t n = length(random); n > 0; --n) input += pieces[piece(random)];
    run(input);
  }
}

TEST(FtsQuery, AWordOfNonAsciiPunctuationMatchesNothingAndIsNeutralBesideOthers) {
  SearchDb db;
  db.message("u-a", "u-b", "hello world");
  auto count = [&](const std::string& input) {
    auto& q = db.db().cached("SELECT count(*) FROM message_search WHERE message_search MATCH ?1");
    q.bind(1, fts_match_expression(input));
    q.step();
    auto n = q.integer(0);
    q.reset();
    return n;
  };
  EXPECT_EQ(count("。。"), 0);
  EXPECT_EQ(count("hello 。。"), 1);
}
