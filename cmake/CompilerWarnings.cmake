# fastchat_set_warnings(<target>): the project's warning set, applied per target so that
# third-party headers (found as system includes) stay quiet.
function(fastchat_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(FASTCHAT_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
