# Warning flags for ffn's own tests, examples and benchmarks. Never applied to the ffn target
# itself, so that a project consuming ffn keeps its own flags.
function(ffn_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    if(FFN_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# The C++ standard of ffn's own tests and examples (FFN_CXX_STANDARD), never of the ffn target,
# whose consumers only get cxx_std_20 as a minimum.
function(ffn_set_standard target)
  set_target_properties(${target} PROPERTIES
    CXX_STANDARD ${FFN_CXX_STANDARD}
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF)
endfunction()
