# SANITIZE: builds every target of the project with sanitizers, for running the tests under them
# (scripts/test.sh --sanitize, --sanitize=thread). A comma-separated list of address, undefined,
# leak and thread, e.g. -DSANITIZE=address,undefined or -DSANITIZE=thread. Empty (the default)
# changes nothing. UBSan findings abort (no recovery) so that they fail the test that hit them.
set(SANITIZE "" CACHE STRING
    "Sanitizers for every target: a comma-separated list of address, undefined, leak, thread (empty: none)")
if(NOT SANITIZE)
  return()
endif()
string(TOLOWER "${SANITIZE}" _fastchat_sanitize)
string(REPLACE " " "" _fastchat_sanitize "${_fastchat_sanitize}")
string(REPLACE "," ";" _fastchat_sanitizers "${_fastchat_sanitize}")
foreach(_s IN LISTS _fastchat_sanitizers)
  if(NOT _s MATCHES "^(address|undefined|leak|thread)$")
    message(FATAL_ERROR "SANITIZE=${SANITIZE}: unknown sanitizer '${_s}' "
                        "(known: address, undefined, leak, thread; e.g. -DSANITIZE=address,undefined)")
  endif()
endforeach()
if("thread" IN_LIST _fastchat_sanitizers AND
   ("address" IN_LIST _fastchat_sanitizers OR "leak" IN_LIST _fastchat_sanitizers))
  message(FATAL_ERROR "SANITIZE=${SANITIZE}: thread cannot be combined with address or leak")
endif()
if(FASTCHAT_FUZZ)
  message(FATAL_ERROR "SANITIZE=${SANITIZE}: FASTCHAT_FUZZ already builds with ASan+UBSan; use one or the other")
endif()
list(JOIN _fastchat_sanitizers "," _fastchat_sanitize)
add_compile_options(-fsanitize=${_fastchat_sanitize} -fno-omit-frame-pointer)
if("undefined" IN_LIST _fastchat_sanitizers)
  add_compile_options(-fno-sanitize-recover=undefined)
endif()
add_link_options(-fsanitize=${_fastchat_sanitize})
message(STATUS "SANITIZE: -fsanitize=${_fastchat_sanitize} on every target")
