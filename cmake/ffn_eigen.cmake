# Finds Eigen 3.4 or newer, reusing an Eigen3::Eigen target that the including project
# already defined. No version is passed to find_package: Eigen 5's version file rejects
# requests for 3.x, so the version is checked here instead.
set(FFN_EIGEN_MINIMUM_VERSION 3.4)

if(NOT TARGET Eigen3::Eigen)
  find_package(Eigen3 REQUIRED NO_MODULE)
  if(DEFINED Eigen3_VERSION AND Eigen3_VERSION VERSION_LESS FFN_EIGEN_MINIMUM_VERSION)
    message(FATAL_ERROR
      "ffn needs Eigen ${FFN_EIGEN_MINIMUM_VERSION} or newer, but found Eigen ${Eigen3_VERSION} "
      "in ${Eigen3_DIR}.")
  endif()
endif()
