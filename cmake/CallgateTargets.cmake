# Helpers that give every target the same warnings, sanitizers and include root.

set(CALLGATE_SOURCE_ROOT ${PROJECT_SOURCE_DIR}/gateway/src)

add_library(callgate_build_flags INTERFACE)
target_compile_options(callgate_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
# GCC 12 reports null dereferences inside libstdc++ (std::function) at -O2.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(callgate_build_flags INTERFACE -Wnull-dereference)
endif()
# GCC 12 also reports designated initialisers that leave members to their
# default member initialisers (Config{.name = ...}); clang checks the rest.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(callgate_build_flags INTERFACE -Wno-missing-field-initializers)
endif()
if(CALLGATE_WERROR)
  target_compile_options(callgate_build_flags INTERFACE -Werror)
endif()
if(CALLGATE_SANITIZE)
  target_compile_options(callgate_build_flags INTERFACE
    -fsanitize=${CALLGATE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(callgate_build_flags INTERFACE -fsanitize=${CALLGATE_SANITIZE})
endif()
if(CALLGATE_FUZZ)
  target_compile_options(callgate_build_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

# callgate_library(NAME SOURCES ... [DEPS ...])
function(callgate_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CALLGATE_SOURCE_ROOT})
  target_link_libraries(${name} PUBLIC callgate_build_flags ${ARG_DEPS})
endfunction()

# callgate_executable(NAME SOURCES ... [DEPS ...])
function(callgate_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE callgate_build_flags ${ARG_DEPS})
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# callgate_unit_test(NAME SOURCES ... [DEPS ...]): one Boost.Test binary, one ctest entry.
function(callgate_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/tests/unit/TestMain.cpp)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK
    CALLGATE_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  target_link_libraries(${name} PRIVATE callgate_build_flags Boost::unit_test_framework ${ARG_DEPS})
  add_test(NAME unit.${name} COMMAND ${name} --log_level=test_suite --report_level=short)
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT 300)
endfunction()

# callgate_fuzz_target(NAME SOURCES ... [DEPS ...] [SECONDS n]): a libFuzzer binary that
# ctest runs over its committed corpus for SECONDS (default 20) when CALLGATE_FUZZ is on.
function(callgate_fuzz_target name)
  cmake_parse_arguments(ARG "" "SECONDS" "SOURCES;DEPS" ${ARGN})
  if(NOT CALLGATE_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 20)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE callgate_build_flags ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}.corpus)
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      ${PROJECT_SOURCE_DIR}/tests/fuzz/run-fuzzer.sh $<TARGET_FILE:${name}> ${corpus} ${work} ${ARG_SECONDS})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()
