# fastchat_set_warnings(<target>): the project's warning set, applied per target so that
# third-party headers (found as system includes) stay quiet.
function(fastchat_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(FASTCHAT_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# fastchat_add_library(<name> SOURCES ... DEPS ...): a static library of one concept, with the
# repository's src/ as its include root.
function(fastchat_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  fastchat_set_warnings(${name})
endfunction()

# fastchat_add_torch_library(<name> ...): as above, plus libtorch and the shared torch PCH.
function(fastchat_add_torch_library name)
  fastchat_add_library(${name} ${ARGN})
  target_link_libraries(${name} PUBLIC fastchat_torch)
  fastchat_use_torch_pch(${name})
endfunction()

# fastchat_add_test(<name> SOURCES ... DEPS ...): one GoogleTest binary, discovered by CTest.
function(fastchat_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} fastchat_test_support GTest::gtest_main GTest::gmock)
  fastchat_set_warnings(${name})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}"
                       ENVIRONMENT "FASTCHAT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
