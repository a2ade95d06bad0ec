# How the project declares its targets. Every library records whether it needs libtorch (the
# FASTCHAT_TORCH property, inherited from its dependencies), so that tests and programs learn it
# by themselves: a test linking a torch library is labelled `torch`, every other test and program
# joins the `fastchat_torch_free` target (what the TSan run builds).
#
#   fastchat_add_library(<name> SOURCES ... [DEPS ...] [TORCH])
#   fastchat_add_program(<name> SOURCES ... [DEPS ...])
#   fastchat_add_test(<name> SOURCES ... [DEPS ...] [FIXTURE <CTest fixture it requires>])
#
# With FASTCHAT_BUILD_WORKER=OFF the torch libraries do not exist; a test that needs one is not
# created (the configure step says how many), as its code cannot be compiled without libtorch.

add_custom_target(fastchat_torch_free)
set_property(GLOBAL PROPERTY FASTCHAT_TESTS_NOT_BUILT "")

# Sets <out> to TRUE when any of the targets named in the remaining arguments needs libtorch.
function(fastchat_needs_torch out)
  set(result FALSE)
  foreach(dep IN LISTS ARGN)
    if(TARGET ${dep})
      get_target_property(dep_torch ${dep} FASTCHAT_TORCH)
      if(dep_torch)
        set(result TRUE)
      endif()
    endif()
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# A static library of one concept, with the repository's src/ as its include root. TORCH: it uses
# libtorch itself (libtorch, OpenMP and the shared torch precompiled header are added).
function(fastchat_add_library name)
  cmake_parse_arguments(ARG "TORCH" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  fastchat_set_warnings(${name})
  fastchat_needs_torch(torch ${ARG_DEPS})
  if(ARG_TORCH)
    target_link_libraries(${name} PUBLIC fastchat_torch)
    set(torch TRUE)
  endif()
  set_target_properties(${name} PROPERTIES FASTCHAT_TORCH ${torch})
  if(torch)
    fastchat_use_torch_pch(${name})
  endif()
endfunction()

# An executable of build/bin/ (CMAKE_RUNTIME_OUTPUT_DIRECTORY).
function(fastchat_add_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  fastchat_set_warnings(${name})
  fastchat_needs_torch(torch ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES FASTCHAT_TORCH ${torch})
  if(torch)
    fastchat_use_torch_pch(${name})
  else()
    add_dependencies(fastchat_torch_free ${name})
  endif()
endfunction()

# One GoogleTest binary, discovered by CTest, labelled `unit`, plus `torch` when it links a torch
# library.
function(fastchat_add_test name)
  cmake_parse_arguments(ARG "" "FIXTURE" "SOURCES;DEPS" ${ARGN})
  foreach(dep IN LISTS ARG_DEPS)
    if(NOT FASTCHAT_BUILD_WORKER AND dep MATCHES "^fastchat_" AND NOT TARGET ${dep})
      set_property(GLOBAL APPEND PROPERTY FASTCHAT_TESTS_NOT_BUILT ${name})
      return()
    endif()
  endforeach()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} fastchat_test_support GTest::gtest_main
                                        GTest::gmock)
  fastchat_set_warnings(${name})
  fastchat_needs_torch(torch ${ARG_DEPS})
  if(torch)
    fastchat_use_torch_pch(${name})
  else()
    add_dependencies(fastchat_torch_free ${name})
  endif()
  # Discovered tests take the `torch` label from their folder (a list of labels does not survive
  # gtest_discover_tests), so a folder holds torch tests or torch-free ones, not both.
  get_directory_property(folder_torch FASTCHAT_TORCH_TESTS)
  if(NOT folder_torch STREQUAL "" AND NOT folder_torch STREQUAL "${torch}")
    message(FATAL_ERROR "${name}: tests that link libtorch and tests that do not share the folder "
                        "${CMAKE_CURRENT_SOURCE_DIR}; give them folders of their own")
  endif()
  set_directory_properties(PROPERTIES FASTCHAT_TORCH_TESTS ${torch})
  if(torch)
    set_property(DIRECTORY APPEND PROPERTY LABELS torch)
  endif()
  set(fixture "")
  if(ARG_FIXTURE)
    set(fixture FIXTURES_REQUIRED ${ARG_FIXTURE})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit
                       ENVIRONMENT "FASTCHAT_TEST_DATA=${FASTCHAT_TEST_DATA_DIR}" ${fixture})
endfunction()
