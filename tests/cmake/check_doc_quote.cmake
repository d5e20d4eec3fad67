# Checks that a document quotes a source file verbatim: the fenced block (```cpp, ```python,
# ...) that follows the line "<!-- quote: PATH -->" in DOC must equal the file PATH (relative
# to SOURCE_DIR). QUOTE names the PATH to check; without it, the first quote is checked.
# With PROGRAM (the quoted source, built), the program is also run, must succeed, and what it
# prints (stdout and stderr together) must equal the fenced block that follows the line
# "<!-- output: PATH -->" and ends with ``` and "<!-- end output -->".
# Usage: cmake -DDOC=... -DSOURCE_DIR=... [-DQUOTE=PATH] [-DPROGRAM=FILE] -P check_doc_quote.cmake
file(READ "${DOC}" doc)

# The text of the fenced block after "<!-- KIND: PATH -->", up to "```\n<!-- end KIND -->",
# into the variable `result`.
function(ffn_fenced_block result kind path)
  string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" path_pattern "${path}")
  string(REGEX MATCH "<!-- ${kind}: ${path_pattern} -->\n```[a-z]*\n" marker "${doc}")
  if(NOT marker)
    message(FATAL_ERROR "${DOC} has no '<!-- ${kind}: ${path} -->' followed by a fenced block")
  endif()
  string(FIND "${doc}" "${marker}" start)
  string(LENGTH "${marker}" marker_length)
  math(EXPR start "${start} + ${marker_length}")
  string(SUBSTRING "${doc}" ${start} -1 rest)
  string(FIND "${rest}" "```\n<!-- end ${kind} -->" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "${DOC}: the ${kind} of ${path} does not end with ``` and <!-- end ${kind} -->")
  endif()
  string(SUBSTRING "${rest}" 0 ${end} block)
  set(${result} "${block}" PARENT_SCOPE)
endfunction()

if(DEFINED QUOTE)
  set(path "${QUOTE}")
else()
  string(REGEX MATCH "<!-- quote: ([^ ]+) -->\n```[a-z]+\n" marker "${doc}")
  set(path "${CMAKE_MATCH_1}")
  if(NOT marker)
    message(FATAL_ERROR "${DOC} has no '<!-- quote: PATH -->' followed by a fenced block")
  endif()
endif()
ffn_fenced_block(quoted quote "${path}")
file(READ "${SOURCE_DIR}/${path}" source)
if(NOT quoted STREQUAL source)
  message(FATAL_ERROR "${DOC} no longer quotes ${path} verbatim; copy the file into the document")
endif()
message(STATUS "${DOC} quotes ${path} verbatim")

if(DEFINED PROGRAM)
  execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE status
    OUTPUT_VARIABLE printed ERROR_VARIABLE printed)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM}, built from ${path}, failed (${status}):\n${printed}")
  endif()
  ffn_fenced_block(shown output "${path}")
  if(NOT shown STREQUAL printed)
    message(FATAL_ERROR "${DOC} no longer shows what ${path} prints; it printed:\n${printed}")
  endif()
  message(STATUS "${DOC} shows what ${path} prints")
endif()
