# The `docs` target: Doxygen over include/ with every public name documented (warnings are
# errors). Only defined when Doxygen is found.
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  set(FFN_DOCS_OUTPUT "${PROJECT_BINARY_DIR}/docs")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/Doxyfile.in" "${PROJECT_BINARY_DIR}/Doxyfile" @ONLY)
  add_custom_target(docs
    COMMAND Doxygen::doxygen "${PROJECT_BINARY_DIR}/Doxyfile"
    WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
    COMMENT "Reference documentation into ${FFN_DOCS_OUTPUT}/html"
    VERBATIM)
endif()
