#pragma once
// Reads a file from tests/fixtures.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

inline std::string readFixture(const std::string& relative) {
  std::ifstream in(std::string(CALLGATE_FIXTURES_DIR) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}
