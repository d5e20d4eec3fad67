# Packages: `cpack -G DEB` in the build folder makes libffn-dev_<version>_all.deb, which installs
# the headers, the CMake package and ffn.pc under /usr.
set(CPACK_PACKAGE_NAME "libffn-dev")
set(CPACK_PACKAGE_VENDOR "ffn")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION} (headers, CMake package, pkg-config)")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_PACKAGE_CONTACT "ffn developers" CACHE STRING "The packages' maintainer field")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_GENERATOR "DEB")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "all") # header-only
set(CPACK_DEBIAN_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libeigen3-dev (>= ${FFN_EIGEN_MINIMUM_VERSION})")

include(CPack)
