# The tests' reference data, unpacked once per build folder (tests/data/README.md):
# FASTCHAT_TEST_DATA_DIR = <build>/test-data, holding tokenizers/ and chat-templates/ from
# tests/data/*.tar.xz and a link models -> <repo>/models. An archive that changes is unpacked
# again at the next configure.
set(FASTCHAT_TEST_DATA_DIR ${PROJECT_BINARY_DIR}/test-data)

function(fastchat_unpack_test_data)
  file(MAKE_DIRECTORY ${FASTCHAT_TEST_DATA_DIR})
  file(GLOB archives ${PROJECT_SOURCE_DIR}/tests/data/*.tar.xz)
  foreach(archive IN LISTS archives)
    set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${archive})
    get_filename_component(name ${archive} NAME)
    file(SHA256 ${archive} hash)
    set(stamp ${FASTCHAT_TEST_DATA_DIR}/.${name}.sha256)
    set(unpacked "")
    if(EXISTS ${stamp})
      file(READ ${stamp} unpacked)
    endif()
    if(NOT unpacked STREQUAL hash)
      message(STATUS "Unpacking ${name} into ${FASTCHAT_TEST_DATA_DIR}")
      file(ARCHIVE_EXTRACT INPUT ${archive} DESTINATION ${FASTCHAT_TEST_DATA_DIR})
      file(WRITE ${stamp} ${hash})
    endif()
  endforeach()
  if(NOT EXISTS ${FASTCHAT_TEST_DATA_DIR}/models)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/models ${FASTCHAT_TEST_DATA_DIR}/models SYMBOLIC)
  endif()
endfunction()
