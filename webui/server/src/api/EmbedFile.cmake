# cmake -DINPUT=file -DOUTPUT=file.cpp -DNAMESPACE=ns -DFUNCTION=name -P EmbedFile.cmake
# Writes a C++ file defining `std::string_view ns::name()` over INPUT's bytes.
# A byte array rather than a string literal: no length limit (-Woverlength-strings)
# and no escaping.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by EmbedFile.cmake; do not edit.\n"
  "#include <string_view>\n\n"
  "namespace ${NAMESPACE} {\n"
  "namespace {\n"
  "const unsigned char kBytes[${size} + 1] = {\n    ${bytes}0};\n"
  "}  // namespace\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  return std::string_view(reinterpret_cast<const char*>(kBytes), ${size});\n"
  "}\n\n"
  "}  // namespace ${NAMESPACE}\n")
