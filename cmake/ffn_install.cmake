# Install rules: headers, the exported ffn::ffn target and a relocatable package config.
include(CMakePackageConfigHelpers)

set(FFN_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/ffn"
  CACHE STRING "Where to install ffn's CMake package files, relative to the prefix")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp")
install(TARGETS ffn EXPORT ffnTargets)
install(EXPORT ffnTargets
  NAMESPACE ffn::
  DESTINATION "${FFN_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/ffnConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/ffnConfig.cmake"
  INSTALL_DESTINATION "${FFN_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/ffnConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/ffnConfig.cmake"
  "${PROJECT_BINARY_DIR}/ffnConfigVersion.cmake"
  DESTINATION "${FFN_INSTALL_CMAKEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/ffn")

# pkg-config: share/pkgconfig/ffn.pc, relocatable (paths relative to the file itself).
set(FFN_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
  CACHE STRING "Where to install ffn.pc, relative to the prefix")
file(RELATIVE_PATH FFN_PC_RELATIVE_PREFIX "/prefix/${FFN_INSTALL_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" FFN_PC_RELATIVE_PREFIX "${FFN_PC_RELATIVE_PREFIX}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/ffn.pc.in" "${PROJECT_BINARY_DIR}/ffn.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/ffn.pc" DESTINATION "${FFN_INSTALL_PKGCONFIGDIR}")
